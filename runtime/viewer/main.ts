import { PROTOCOL_VERSION } from '../server/protocol.ts';
document.getElementById('app')!.textContent = `swta live, protocol ${PROTOCOL_VERSION}`;
