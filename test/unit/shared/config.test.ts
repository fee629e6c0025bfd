import { describe, expect, it } from 'vitest';
import {
  ACCEPTANCE_WINDOW_DAYS,
  CONSOLE_URL,
  ConfigError,
  DEPLOYMENT_STAGE,
  loadConfig,
  TABLE_NAME,
  WEBHOOK_RETRY_DELAYS_SECONDS,
} from '#shared/config.ts';

describe('loadConfig', () => {
  it('returns each variable it is given, parsed, with defaults for unset ones', () => {
    const config = loadConfig(
      [TABLE_NAME, ACCEPTANCE_WINDOW_DAYS, DEPLOYMENT_STAGE, WEBHOOK_RETRY_DELAYS_SECONDS],
      {
        TABLE_NAME: 'transfers',
        WEBHOOK_RETRY_DELAYS_SECONDS: '1,5,30',
      },
    );
    expect(config).toEqual({
      TABLE_NAME: 'transfers',
      ACCEPTANCE_WINDOW_DAYS: 30,
      DEPLOYMENT_STAGE: 'aws',
      WEBHOOK_RETRY_DELAYS_SECONDS: [1, 5, 30],
    });
  });

  it('reads only the variables it is given', () => {
    expect(Object.keys(loadConfig([TABLE_NAME], { TABLE_NAME: 'transfers', CONSOLE_URL: 'nope' }))).toEqual([
      'TABLE_NAME',
    ]);
  });

  it('names every missing or invalid variable in one error', () => {
    const load = () =>
      loadConfig([TABLE_NAME, CONSOLE_URL, DEPLOYMENT_STAGE], {
        CONSOLE_URL: 'not a url',
        DEPLOYMENT_STAGE: 'moon',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /^Configuration error: TABLE_NAME is not set; CONSOLE_URL is invalid \(.+\); DEPLOYMENT_STAGE is invalid/,
    );
  });

  it('treats an empty value as unset', () => {
    expect(() => loadConfig([TABLE_NAME], { TABLE_NAME: '' })).toThrow('TABLE_NAME is not set');
    expect(loadConfig([ACCEPTANCE_WINDOW_DAYS], { ACCEPTANCE_WINDOW_DAYS: '' })).toEqual({
      ACCEPTANCE_WINDOW_DAYS: 30,
    });
  });
});
