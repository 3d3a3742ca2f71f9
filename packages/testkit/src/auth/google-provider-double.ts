/**
 * A TEST DOUBLE of Google's OAuth 2.0 / OpenID Connect endpoints (oauth2-mock-server on a local
 * port): /authorize, /token (which checks the PKCE verifier) and /userinfo. Tests set the
 * userinfo the next login returns.
 */
import { OAuth2Server } from 'oauth2-mock-server';

export interface GoogleUserinfo {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export class GoogleProviderDouble {
  private readonly server = new OAuth2Server();
  userinfo: GoogleUserinfo = { sub: 'nobody' };

  async start(): Promise<void> {
    await this.server.issuer.keys.generate('RS256');
    await this.server.start(0, '127.0.0.1');
    this.server.service.on('beforeUserinfo', (response: { body: unknown }) => {
      response.body = this.userinfo;
    });
  }

  get url(): string {
    const url = this.server.issuer.url;
    if (!url) throw new Error('the provider double is not started');
    return url;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
