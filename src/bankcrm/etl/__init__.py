"""Core-system feeds: layouts, validation, loading, identity resolution, org unification."""
