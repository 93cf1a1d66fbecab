"""Org tree (机构): head office → province → city → sub-branch → outlet, with history."""
