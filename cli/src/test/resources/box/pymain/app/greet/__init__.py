"""greet: says hello in a box."""
