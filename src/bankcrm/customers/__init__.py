"""Customer master (统一客户) and the links that decide who may see a customer."""
