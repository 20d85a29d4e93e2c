"""`sendstat record`: walk a real service's index and views, and write what it answered as a scenario file."""
