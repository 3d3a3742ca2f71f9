/**
 * `make demo`: two users meet and chat through the gateway, step by step, so a newcomer sees the
 * platform work. Needs the stack (`make up`).
 */
import { randomUUID } from 'node:crypto';
import { emitWithAck, nextEvent } from '@messenger/testkit/sockets';
import { gatewayUrl } from '@messenger/testkit/service-urls';
import { befriend, call, connectSocket, register } from '@messenger/testkit/gateway/app-client';

interface Message {
  seq: number;
  content: string;
  senderId: string;
}

function step(text: string): void {
  process.stdout.write(`\n▶ ${text}\n`);
}

async function main(): Promise<void> {
  step(`Registering alice and bob at ${gatewayUrl}`);
  const [alice, bob] = await Promise.all([register('alice'), register('bob')]);
  console.log(`  alice = ${alice.nickname} (${alice.id})\n  bob   = ${bob.nickname} (${bob.id})`);

  step('alice sends bob a friend request; bob accepts');
  await befriend(alice, bob);
  const friends = await call<{ items: { nickname: string }[] }>('GET', '/friends', {
    token: alice.accessToken,
  });
  console.log(`  alice's friends: ${friends.body.items.map((f) => f.nickname).join(', ')}`);

  step('alice opens a direct chat with bob');
  const chat = await call<{ id: string }>('POST', '/chats', {
    token: alice.accessToken,
    body: { type: 'direct', userId: bob.id },
  });
  console.log(`  chat ${chat.body.id}`);

  step('Both connect over Socket.IO (/ws through the gateway)');
  const aliceSocket = await connectSocket(alice.accessToken);
  const bobSocket = await connectSocket(bob.accessToken);
  try {
    for (const [from, to, socket, text] of [
      [alice, bob, aliceSocket, 'Hi Bob! Is the platform up?'],
      [bob, alice, bobSocket, 'Hi Alice, it is: this came over a socket.'],
    ] as const) {
      const incoming = nextEvent<Message>(
        to === bob ? bobSocket : aliceSocket,
        'message:new',
        (m) => m.senderId === from.id,
      );
      const started = Date.now();
      const ack = await emitWithAck<{ message: Message }>(socket, 'message:send', {
        chatId: chat.body.id,
        clientMsgId: randomUUID(),
        content: text,
      });
      const received = await incoming;
      console.log(
        `  ${from.nickname} → ${to.nickname}: "${received.content}" (seq ${ack.message.seq}, delivered in ${Date.now() - started} ms)`,
      );
    }
    step('bob reads the chat; alice gets the read receipt');
    const receipt = nextEvent<{ upToSeq: number }>(
      aliceSocket,
      'message:receipt',
      (r) => (r as unknown as { kind: string }).kind === 'read',
    );
    await call('POST', `/chats/${chat.body.id}/read`, {
      token: bob.accessToken,
      body: { upToSeq: 2 },
    });
    console.log(`  read up to seq ${(await receipt).upToSeq}`);

    step('History, as any client would page it');
    const history = await call<{ items: Message[] }>('GET', `/chats/${chat.body.id}/messages`, {
      token: alice.accessToken,
    });
    for (const message of history.body.items) console.log(`  #${message.seq} ${message.content}`);
  } finally {
    aliceSocket.disconnect();
    bobSocket.disconnect();
  }
  step('Done. Explore the API at ' + `${gatewayUrl}/docs`);
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
