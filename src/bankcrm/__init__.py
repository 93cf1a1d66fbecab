"""bankcrm: customer relationship management for commercial banks."""

__version__ = "0.1.0"
