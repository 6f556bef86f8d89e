"""Publishing: the digest as Markdown (seed-000 format), HTML site, JSON and feeds; delivery."""
