"""Meeting pages: the records (the ledger of organisational life) and planning (yearly plans,
calendars, iCalendar feeds)."""
