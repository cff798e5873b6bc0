"""Several trusts on one installation: each trust's own settings, and who keeps them."""
