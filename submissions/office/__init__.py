"""LibreOffice kept running (unoserver), so that a conversion does not pay its start."""
