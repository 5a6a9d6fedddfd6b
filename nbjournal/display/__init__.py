"""How runs look: rich HTML in a notebook, plain text in a terminal (one object, both forms)."""
