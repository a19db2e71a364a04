"""The Visma Mobile Scanner service and its activation history (built in issue 3)."""
