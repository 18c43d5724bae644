COMMENT
The swta conductance model of one neuron, integrated as the swta conductance engine does
(adapters/conductance/kernel.ts): per fixed step, in this order,
  1. every receptor channel k: A_k = A_k*decA_k + P_k, B_k = B_k*decB_k + P_k (P_k: this step's
     arrivals, then cleared); g_k = norm_k*(A_k - B_k), or A_k for a single exponential
  2. forward Euler AdEx from the step's start values:
       C dV/dt = -gL(V - EL) + gL dT exp((V - VT)/dT) - w + sum g_k(E_k - V)
                 + B(V) sum_nmda g_k(E_k - V) + iext,        B(V) = 1/(1 + mgOver357 exp(-0.062 V))
       tauW dw/dt = a(V - EL) - w
     the exponent capped at its value at V_peak; V >= V_peak: V = V_r, w += b, V held for tRef
Units are the engine's: mV, ms, pF, nS, pA (nS*mV = pA, pA/pF = mV/ms). The mechanism keeps its own
membrane potential vm: the section it sits in is a dummy whose v is not used.
Arrivals come as NetCon events (NET_RECEIVE): each carries its channel, its conductance (nS: the
component's peak conductance times the synapse's weight factor), the projection's Tsodyks-Markram
parameters (U = 0: none) and the NMDA gating's alphaS (0: linear). A NetCon connects one
presynaptic neuron to one channel of one neuron, so its STP and gating state are exactly the
presynaptic neuron's state in the engine (every synapse of a projection sees the same spikes).
spk is 1 during the step in which the neuron fired (a NetCon watching it with threshold 0.5 emits
the spike, detected at the end of that step).
ENDCOMMENT

NEURON {
  POINT_PROCESS SwtaAdex
  RANGE cPf, gLNs, eLMv, deltaTMv, vTMv, vRMv, vPeakMv, refractorySteps, aNs, bPa, tauWMs, mgOver357, dtMs
  RANGE vm, w, iext, spk, nch, vInit, gsyn
}

DEFINE MAXCH 16

PARAMETER {
  cPf = 100
  gLNs = 10
  eLMv = -70
  deltaTMv = 2
  vTMv = -50
  vRMv = -60
  vPeakMv = 0
  refractorySteps = 20
  aNs = 0
  bPa = 0
  tauWMs = 100
  mgOver357 = 0.2801120448
  dtMs = 0.1
  vInit = -70
}

ASSIGNED {
  vm
  w
  iext
  spk
  nch
  nstep
  refUntil
  A[MAXCH]
  B[MAXCH]
  P[MAXCH]
  decA[MAXCH]
  decB[MAXCH]
  norm[MAXCH]
  erev[MAXCH]
  mg[MAXCH]
  gsyn[MAXCH]
}

INITIAL {
  LOCAL k
  vm = vInit
  w = 0
  spk = 0
  nstep = 0
  refUntil = -1
  FROM k = 0 TO MAXCH - 1 {
    A[k] = 0
    B[k] = 0
    P[k] = 0
    gsyn[k] = 0
  }
}

BREAKPOINT {
  SOLVE advance
}

: Channel k: exp(-dt/tauDecay), exp(-dt/tauRise) (0: single exponential), peak norm, E_rev, Mg block (1/0).
PROCEDURE setChannel(k, dA, dB, nm, e, m) {
  decA[k] = dA
  decB[k] = dB
  norm[k] = nm
  erev[k] = e
  mg[k] = m
  if (k + 1 > nch) {
    nch = k + 1
  }
}

PROCEDURE advance() {
  LOCAL k, g, gTot, gRev, gN, gNRev, dw, cur, x, vNext
  gTot = 0
  gRev = 0
  gN = 0
  gNRev = 0
  FROM k = 0 TO nch - 1 {
    A[k] = A[k]*decA[k] + P[k]
    if (decB[k] > 0) {
      B[k] = B[k]*decB[k] + P[k]
      g = norm[k]*(A[k] - B[k])
    } else {
      g = A[k]
    }
    P[k] = 0
    gsyn[k] = g
    if (mg[k] > 0) {
      gN = gN + g
      gNRev = gNRev + g*erev[k]
    } else {
      gTot = gTot + g
      gRev = gRev + g*erev[k]
    }
  }
  spk = 0
  dw = (aNs*(vm - eLMv) - w)*dtMs/tauWMs
  if (nstep < refUntil) {
    w = w + dw
  } else {
    cur = gRev - gTot*vm + iext - gLNs*(vm - eLMv) - w
    if (gN != 0 || gNRev != 0) {
      cur = cur + (gNRev - gN*vm)/(1 + mgOver357*exp(-0.062*vm))
    }
    if (deltaTMv > 0) {
      if (vm < vPeakMv) {
        x = (vm - vTMv)/deltaTMv
      } else {
        x = (vPeakMv - vTMv)/deltaTMv
      }
      cur = cur + gLNs*deltaTMv*exp(x)
    }
    vNext = vm + cur*dtMs/cPf
    if (vNext >= vPeakMv) {
      vm = vRMv
      w = w + dw + bPa
      refUntil = nstep + refractorySteps
      spk = 1
    } else {
      vm = vNext
      w = w + dw
    }
  }
  nstep = nstep + 1
}

NET_RECEIVE(gNs, ch, U, tauRecMs, tauFacilMs, alphaS, tauSatMs, u, R, tlast, s) {
  LOCAL f, dtp, sBefore, bind, ds
  INITIAL {
    u = U
    R = 1
    tlast = -1e9
    s = 0
  }
  f = 1
  if (U > 0) {
    if (tlast > -1e8) {
      dtp = t - tlast
      R = 1 - (1 - R*(1 - u))*exp(-dtp/tauRecMs)
      if (tauFacilMs > 0) {
        u = U + u*(1 - U)*exp(-dtp/tauFacilMs)
      } else {
        u = U
      }
    } else {
      u = U
      R = 1
    }
    f = u*R/U
  }
  if (alphaS > 0) {
    if (tlast > -1e8) {
      sBefore = s*exp(-(t - tlast)/tauSatMs)
    } else {
      sBefore = 0
    }
    if (f == 1) {
      bind = alphaS
    } else {
      bind = 1 - exp(f*log(1 - alphaS))
    }
    ds = (1 - sBefore)*bind
    s = sBefore + ds
    f = ds/alphaS
  }
  tlast = t
  P[ch] = P[ch] + gNs*f
}
