"""Synthetic bank generator: every core-system feed of ``etl.layouts`` for consecutive business dates,
realistic, deterministic per seed, any size (see docs/decisions/0006-synthetic-bank-generator.md)."""

from bankcrm.synth.generate import Options, Summary, generate

__all__ = ["Options", "Summary", "generate"]
