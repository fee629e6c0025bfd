// NotifyTransferEvent's email sender and links, wired from the environment once per container.
import { createSesEmailSender, type EmailSender } from '#adapters/ses-email-sender.ts';
import { CONSOLE_URL, loadConfig, SES_SENDER_ADDRESS } from '#shared/config.ts';
import { AWS_CLIENT_VARIABLES } from './dependencies.ts';
import { onceFor } from './task-handler.ts';

export interface NotificationSettings {
  sender: EmailSender;
  /** The console's base URL: every email links to its page of the transfer. */
  consoleUrl: string;
}

export const notificationSettingsFromEnvironment = onceFor(
  [...AWS_CLIENT_VARIABLES, 'AWS_ENDPOINT_URL_SES', 'SES_SENDER_ADDRESS', 'CONSOLE_URL'],
  (): NotificationSettings => {
    const config = loadConfig([SES_SENDER_ADDRESS, CONSOLE_URL]);
    return {
      sender: createSesEmailSender({ sender: config.SES_SENDER_ADDRESS }),
      consoleUrl: config.CONSOLE_URL,
    };
  },
);
