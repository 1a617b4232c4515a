"""Who is calling: users, roles, API tokens."""
