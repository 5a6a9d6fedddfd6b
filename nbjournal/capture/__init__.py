"""What a run is made of, read from the cell and the kernel before and after it runs."""
