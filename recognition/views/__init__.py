"""Recognition pages: ``fiveleads`` (五带头 scorecards, notes, the working-day calendar) and
``awards`` (四强, demonstration sites and model posts)."""
