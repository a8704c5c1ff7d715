"""The crime model's engine: its state, its phases, the model that runs them."""
