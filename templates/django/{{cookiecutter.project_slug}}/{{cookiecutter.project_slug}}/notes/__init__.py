"""Notes: an example model with its REST API; anyone reads, owners write."""
