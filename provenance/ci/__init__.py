"""`provenance ci`: many articles checked against a newsroom's policy, findings placed in their files.

model.py holds what flows between the parts: inputs -> runner (check() per article) -> policy
(Report -> Findings) -> suppression and baseline -> a CiRun that the formats render.
"""
