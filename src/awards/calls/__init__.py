"""Call kinds (their YAML definitions and forms) and calls (editions and their lifecycle)."""
