"""Documents received from the phone and their processing (built in issue 5 and 6)."""
