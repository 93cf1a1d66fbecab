"""System parameters (系统参数) and code tables (代码表)."""
