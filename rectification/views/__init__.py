"""Rectification pages: the ledger of items (``items``) and 民主评议党员 (``appraisal``)."""
