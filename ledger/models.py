# The ledger app holds no tables of its own: it reads and writes workbooks through the
# other apps' services.
