/**
 * Every y-websocket provider adds a process `exit` listener, and a test file opens dozens of real
 * clients in one worker: raise Node's leak warning from 10 listeners to 100, so that the warning
 * still catches a real leak (one listener per connection or per request) without firing on every
 * integration test.
 */
process.setMaxListeners(100)
