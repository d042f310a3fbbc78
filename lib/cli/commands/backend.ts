// `smile-lens backend`: which compute backend this machine gets, and why (main.ts names it before `run`).
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { defineCommand } from '../command';

export default defineCommand({
  name: 'backend',
  options: {},
  async run() {
    console.log(`tfjs ${tf.version.tfjs}, node ${process.version}, ${os.cpus().length} cores`);
  },
});
