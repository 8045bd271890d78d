"""Compliance pages: ``rules`` (rules as data, the table and its export, the dashboards) and
``participation`` (members' participation and lapse flags)."""
