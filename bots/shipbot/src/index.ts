export { shipbot } from './bot.js';
export { postFulfilmentForecast, forecastMessage } from './post-forecast.js';
