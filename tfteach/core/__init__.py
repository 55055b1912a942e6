"""The graph runtime: numpy only, no Jupyter (see DESIGN.md, Layers)."""
