"""Date formats per language (FORMAT_MODULE_PATH). Each module overrides only what differs from
Django's own locale formats; templates name a format (``date:"DATE_FORMAT"``,
``date:"MONTH_DAY_FORMAT"``) instead of writing a Chinese pattern, so English pages get
English dates ("Dec. 8, 2026", "March 5")."""
