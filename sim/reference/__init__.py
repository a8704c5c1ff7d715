"""The glass-box reference: the crime model written the plain Mesa way.

One ``mesa.Agent`` subclass per kind of agent, each with a ``step()`` that reads like
the theory, in the cells of a ``mesa.discrete_space`` grid, no numba: the code a
student reads, the baseline the equivalence tests hold the fast engine to, and the
baseline of the speed benchmark. docs/reference.md maps each rule to its fast kernel.
"""

from sim.reference.model import SUPPORTED_INTERVENTIONS, ReferenceCrimeModel

__all__ = ["SUPPORTED_INTERVENTIONS", "ReferenceCrimeModel"]
