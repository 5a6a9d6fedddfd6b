import './base.css';
import './explore.css';
