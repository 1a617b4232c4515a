"""What is held about people, and for how long: export, erasure, retention."""
