"""What the index ingests, read into `StoredArticle`s: pages (files, directories, URLs), JSONL
records, feeds and sitemaps. `provenance index add`, `import`, `add-feed` and `add-sitemap` read
through these; `export` writes JSONL back (`jsonl.to_jsonl`).

- `pages`: files, directories (recursively) and URLs; `Skipped` for what could not be read;
- `jsonl`: one article per line, parsed on the ingest's worker processes;
- `feeds`: RSS/Atom (feedparser): parsing, and each item's article;
- `sitemaps`: XML sitemaps, sitemap indexes and Google News sitemaps: parsing, the one walk over
  them (`walk`, which `provenance ci --sitemap` uses too), and each page's article.
"""
