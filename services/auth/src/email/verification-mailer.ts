import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '@messenger/platform';

export interface VerificationMailSettings {
  smtpUrl: string;
  from: string;
  /** The client page the link opens; it posts the `token` query parameter to verify-email. */
  verifyUrl: string;
  ttlSeconds: number;
}

/** Sends the verification link over SMTP (nodemailer). */
export class VerificationMailer {
  private readonly transport: Transporter;

  constructor(
    private readonly settings: VerificationMailSettings,
    private readonly logger: Logger,
  ) {
    // Short deadlines: a stuck mail server must not hold a request for minutes.
    this.transport = nodemailer.createTransport({
      url: settings.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(to: string, token: string): Promise<void> {
    const link = new URL(this.settings.verifyUrl);
    link.searchParams.set('token', token);
    const hours = Math.round(this.settings.ttlSeconds / 3600);
    await this.transport.sendMail({
      from: this.settings.from,
      to,
      subject: 'Confirm your email address',
      text: [
        'Welcome to Messenger.',
        '',
        'Confirm your email address by opening this link:',
        link.toString(),
        '',
        `The link works once and expires in ${hours} hours.`,
        'If you did not sign up, ignore this mail.',
      ].join('\n'),
    });
  }

  /** Sends without holding up the response; a failure is logged and the user can resend. */
  sendInBackground(to: string, token: string, userId: string): void {
    this.send(to, token).catch((error: unknown) => {
      this.logger.error({ err: error, userId }, 'verification mail not sent');
    });
  }

  close(): void {
    this.transport.close();
  }
}
