"""Call kinds: their YAML definitions (workflows, forms, rubric, rules, sections features
parse), checked when loaded."""
