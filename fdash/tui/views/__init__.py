"""One module per tab: functions of the AppState that produce what the layout shows."""
