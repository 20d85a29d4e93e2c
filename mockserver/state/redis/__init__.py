"""The Redis state: one control state and one journal for every instance of the mock behind a load balancer."""
