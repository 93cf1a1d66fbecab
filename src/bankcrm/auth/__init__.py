"""Operators, roles, permissions, sessions, data scope, masking and the audit trail."""
