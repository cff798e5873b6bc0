"""What the trust and each person see at a glance: home page figures, the dashboard, clause
analytics for the policy review, and the hearings calendar. Reads only; every figure is a
database aggregate over the cases the reader may see, and links to the list behind it."""
