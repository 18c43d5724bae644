COMMENT
One index of a module's input port ('spikes' source fed by an inter-module link), as the swta
runtime delivers it: a presynaptic spike emitted in integration step n reaches the port at the
start of the next 1 ms tick (step ceil((n + 1)/stepsPerTick)*stepsPerTick), and the port's
projections add their own delays from there (src/graph/network.ts, Timing).
A spike arrives here at t = (n + 1)*dt + leadMs (+ a sub-femtosecond ordering offset): the link's
NetCon delay is leadMs, the detection of step n's spike being at the end of the step. The relay
re-emits it at the port time + leadMs + slackMs (after its arrival whatever n and whatever the
ordering offset, which is below slackMs), and its NetCons subtract leadMs + slackMs from the port
projections' delays.
ENDCOMMENT

NEURON {
  ARTIFICIAL_CELL SwtaRelay
  RANGE dtMs, stepsPerTick, leadMs, slackMs
}

PARAMETER {
  dtMs = 0.1
  stepsPerTick = 10
  leadMs = 0.5
  slackMs = 0.001
}

NET_RECEIVE(w) {
  LOCAL n, port
  if (flag == 0) {
    n = floor((t - leadMs)/dtMs + 0.5) - 1
    port = (floor(n/stepsPerTick) + 1)*stepsPerTick*dtMs
    net_send(port + leadMs + slackMs - t, 1)
  } else {
    net_event(t)
  }
}
