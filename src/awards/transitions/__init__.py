"""The state-change core: `apply` with the guards, rules and facts it decides on, the
runtime every use case shares, and the registry of what features add (effects, roles). It
imports no feature package."""
