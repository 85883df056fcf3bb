"""The embedded simulated account: a local moto server plus stand-ins for APIs moto lacks."""
