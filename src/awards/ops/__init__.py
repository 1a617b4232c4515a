"""Running the service: liveness, readiness, Prometheus metrics, request ids and JSON logs."""
