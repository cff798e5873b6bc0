"""How a concern comes in: reporting it (with its evidence and the duplicate check), the
pages of the person who raised it, and where it goes on arrival."""
