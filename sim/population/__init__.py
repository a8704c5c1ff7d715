"""Agent populations as structures of arrays: residents, offenders and guardians."""

from sim.population.guardians import Guards, Police, Workers
from sim.population.offenders import Offenders
from sim.population.residents import Residents

__all__ = ["Guards", "Offenders", "Police", "Residents", "Workers"]
