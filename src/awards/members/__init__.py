"""The members register: organisations with their country, network and fee status."""
