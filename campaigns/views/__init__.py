"""Campaign pages: campaigns with their stages, books, tasks and progress (``campaigns``), reading
reflections (``reflections``) and the materials library (``materials``)."""
