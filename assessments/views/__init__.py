"""Assessment pages: ``sets`` (years, indicator trees, results, scoring, publishing, exports) and
``duty`` (述职评议)."""
